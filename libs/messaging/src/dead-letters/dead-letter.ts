import type { IHeaders } from 'kafkajs';

/** One record of a dead-letter topic, where it sits and what it carried. */
export interface DeadLetter {
  topic: string;
  partition: number;
  offset: string;
  /** When it was dead-lettered (the record's timestamp). */
  timestamp: Date;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/** Where a dead letter sits: what the replay ledger records it by. */
export const deadLetterId = ({ topic, partition, offset }: DeadLetter) => `${topic}/${partition}@${offset}`;

export function headerText(headers: IHeaders | undefined): Record<string, string> {
  const text: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {}))
    if (value !== undefined) text[name] = Array.isArray(value) ? String(value[0]) : String(value);
  return text;
}

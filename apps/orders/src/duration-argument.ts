const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A command-line duration such as `30m`, `6h` or `2d`, in milliseconds; null for anything else. */
export function parseDuration(text: string): number | null {
  const match = /^(\d+)([mhd])$/.exec(text);
  return match ? Number(match[1]) * UNIT_MS[match[2]] : null;
}

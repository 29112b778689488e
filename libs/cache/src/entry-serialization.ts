import { defaultDeserialize, defaultSerialize } from '@keyv/serialize';
import type { Deserialize, DeserializedData, Serialize } from 'keyv';

/**
 * How Keyv stores an entry in Redis. The cache's values are strings (JSON text the cache made
 * itself): Keyv's default would wrap each in a JSON envelope with its expiry, escaping the whole text
 * on every write and parsing it back on every hit. A string entry is kept as `s<expires>:<value>`
 * instead; any other value goes through Keyv's own format, which always starts with `{`.
 */
const STRING_ENTRY = 's';

export const serializeEntry: Serialize = (data) =>
  typeof data.value === 'string' ? `${STRING_ENTRY}${data.expires ?? ''}:${data.value}` : defaultSerialize(data);

export const deserializeEntry: Deserialize = <Value>(stored: string): DeserializedData<Value> | undefined => {
  if (!stored.startsWith(STRING_ENTRY)) return defaultDeserialize<DeserializedData<Value>>(stored);
  const colon = stored.indexOf(':');
  const expires = stored.slice(1, colon);
  return { value: stored.slice(colon + 1) as Value, expires: expires === '' ? undefined : Number(expires) };
};

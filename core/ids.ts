/** Identifier rules shared by the registry, topics and the API. */
import { z } from 'zod';

/** CONTRACT §2: ids are `[a-z0-9][a-z0-9-]{0,63}`, so they are safe in MQTT topics, URLs and tags. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

export const Id = z.string().regex(ID_PATTERN, 'must match [a-z0-9][a-z0-9-]{0,63}');
export type Id = z.infer<typeof Id>;

export function isId(value: string): boolean {
  return ID_PATTERN.test(value);
}

/**
 * Items read back are parsed with zod, and each schema is tied to the domain type it produces:
 * `schemaFor<Department>()(z.object({...}))` compiles only if the schema's output is a Department
 * and names every field of it (optional and nested ones too), so a field added to the domain type
 * but not to the schema fails to compile instead of being dropped on read.
 */

import type { MessageRef } from '../domain/message-ref';
import * as z from '../zod';

/** The fields of `T`, at any depth, that `Output` does not have (never when there are none). */
type MissingFields<T, Output> = T extends readonly (infer Element)[]
  ? Output extends readonly (infer OutputElement)[]
    ? MissingFields<Element, OutputElement>
    : never
  : T extends object
    ? {
        [K in keyof T]-?: K extends keyof Output ? MissingFields<NonNullable<T[K]>, NonNullable<Output[K]>> : K;
      }[keyof T]
    : never;

/** The schema, checked at compile time against `T` (see above); nothing happens at run time. */
export function schemaFor<T>() {
  return <S extends z.ZodMiniType<T>>(
    schema: S &
      ([MissingFields<T, z.output<S>>] extends [never] ? unknown : { missing: MissingFields<T, z.output<S>> }),
  ): S => schema;
}

export const MessageRefSchema = schemaFor<MessageRef>()(z.object({ channel: z.string(), ts: z.string() }));

/** Zod schemas shared by the items read back. */
import { z } from 'zod';
import type { MessageRef } from '../domain/message-ref';

export const MessageRefSchema = z.object({ channel: z.string(), ts: z.string() }) satisfies z.ZodType<MessageRef>;

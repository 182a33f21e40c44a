/**
 * The one way Kept's code reaches zod: `import * as z from '../zod'` (issue #22). It is zod/mini
 * (checks are functions, `z.optional(s)`, `s.check(z.minLength(1))`), not classic zod, whose every
 * schema carries dozens of bound methods: building the Slack function's schemas and parsing once
 * cost ~25 ms more with classic zod on a cold start. zod/mini says only "Invalid input" unless a
 * locale is set; English is set here, once, before any schema is used, so every message reads as
 * classic zod's did ("Too small: expected string to have >=1 characters").
 *
 * A module the Slack function loads at start builds its schemas at load, on every cold start. Those
 * a cold `/sla new` never parses (interactions, Events API bodies, thread replies, reactions) are
 * written as `z.lazy(() => ...)`: built on their first parse, with the same checks and messages.
 */

import { en } from 'zod/locales';
import { config } from 'zod/mini';

config(en());

export * from 'zod/mini';

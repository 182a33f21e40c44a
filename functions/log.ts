/** One structured logger for every entry point. Never log tokens, secrets or raw bodies. */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({
  serviceName: 'kept',
  logLevel: (process.env.KEPT_LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'SILENT' : 'INFO')) as 'INFO',
});

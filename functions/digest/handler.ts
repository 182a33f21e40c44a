import { scheduledJobHandler } from '../jobs/lambda';

export const handler = scheduledJobHandler('digest');

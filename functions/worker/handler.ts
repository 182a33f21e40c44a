import { workerHandler } from '../jobs/lambda';

export const handler = workerHandler();

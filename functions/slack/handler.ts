import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { logger } from '../log';
import { loadLambdaConfig } from '../secrets';
import { createSlackLambdaHandler } from './lambda';

export const handler = middy(createSlackLambdaHandler(() => loadLambdaConfig())).use(injectLambdaContext(logger));

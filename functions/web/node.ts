/** The dashboard as a Node request listener, for the local front door (`createSlackHttp({ web })`). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { createWebApp, type WebDeps } from './app';

export function webListener(deps: WebDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const listener = getRequestListener(createWebApp(deps).fetch);
  return (req, res) => {
    void listener(req, res);
  };
}

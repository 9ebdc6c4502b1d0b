import { defineRoutes } from '../http/route.ts';
import { publicUrlBody, publicUrlResponse } from './schemas.ts';
import { publicUrlView, savePublicUrl } from './store.ts';

const tags = ['installation'];

export const publicUrlRoutes = defineRoutes([
  {
    // Any signed-in member may read it: office pages print it on pairing instructions and invitations.
    method: 'get',
    path: '/installation/public-url',
    permission: 'authenticated',
    tags,
    summary: 'The address phones open (links and QR codes), where it comes from, and whether it can be changed here',
    response: publicUrlResponse,
    handler: ({ app }) => publicUrlView(app),
  },
  {
    method: 'put',
    path: '/installation/public-url',
    permission: 'installation.write',
    tags,
    body: publicUrlBody,
    summary: 'Set the address phones open (http/https, host and port only), or null for the address the server listens on',
    response: publicUrlResponse,
    handler: ({ app, actor, body }) => savePublicUrl(app, actor, body.public_url),
  },
]);

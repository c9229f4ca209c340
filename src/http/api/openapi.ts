/**
 * The JSON API described by OpenAPI (B9) at `/api/v1/openapi.json`, generated from the route
 * schemas themselves, so the document cannot drift from what the server validates. Pages and
 * operators' endpoints are left out.
 */
import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export const openApiPlugin = fp<{ publicUrl: string }>(async (app, options) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Kelid API',
        version: '1',
        description: 'Sign-in, sessions and self-service flows. Errors are `{error: {code, message, field?}}` with messages in the Accept-Language locale; flow answers carry localized field errors.',
      },
      servers: [{ url: options.publicUrl }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: ({ schema, url }) => ({ schema: url.startsWith('/api/') ? schema : { ...schema, hide: true }, url }),
  });
}, { name: 'kelid-openapi' });

export async function openApiRoute(app: FastifyInstance, root: FastifyInstance) {
  app.get('/openapi.json', { schema: { hide: true } }, async () => root.swagger());
}

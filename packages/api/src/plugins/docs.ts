import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import { jsonSchemaTransform, jsonSchemaTransformObject } from "fastify-type-provider-zod";

/**
 * The OpenAPI document, generated from the routes' zod schemas (the same ones that validate),
 * at `/docs/json`, and a browsable UI at `/docs`. Register before the routes: swagger collects
 * routes as they are added.
 */
export async function registerDocs(app: FastifyInstance, options: { hasToken: boolean }): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "hotbeat",
        version: "1",
        description:
          "Periodic tasks whose schedules live in PostgreSQL and go live the instant they change. " +
          "Errors are { error: { code, message, details: [{ field, message }] } }. Writes that leave a schedule " +
          "answer { schedule, warnings, changed, applied? }; add ?wait=applied to answer once every live scheduler holds the new version.",
      },
      components: {
        securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      },
      ...(options.hasToken ? { security: [{ bearer: [] }] } : {}),
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: "/docs", staticCSP: false });
}

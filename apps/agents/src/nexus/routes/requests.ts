// How Nexus reads request bodies, for every route of its plugin (each route file calls
// nexusRequests; the first call sets it up): as common HTTP clients send them.
import type { FastifyInstance } from "fastify";

const configured = new WeakSet<FastifyInstance>();

export function nexusRequests(app: FastifyInstance) {
  if (configured.has(app)) return;
  configured.add(app);

  // An empty JSON body (Content-Type: application/json, nothing sent, as many clients do on a POST
  // without data) is no body, not a 400 "Body cannot be empty". Anything else parses as before.
  const json = app.getDefaultJsonParser(app.initialConfig.onProtoPoisoning ?? "error", app.initialConfig.onConstructorPoisoning ?? "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    if ((body as string).trim() === "") return done(null, undefined);
    json(request, body as string, done);
  });

  // No body is an empty object: a body whose fields are all optional may be left out, and a
  // required field is named ("body.agent_type is required") instead of "expected object, received null".
  app.addHook("preValidation", async (request) => {
    if ((request.body === undefined || request.body === null) && request.routeOptions.schema?.body) request.body = {};
  });
}

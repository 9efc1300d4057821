import { jsonError } from "~/http/api.server.ts";

/** Any other /api address: a JSON 404, never an HTML page. */
export const permission = "public";

export function loader() {
  return jsonError(404, "No such API endpoint.");
}

export function action() {
  return jsonError(404, "No such API endpoint.");
}

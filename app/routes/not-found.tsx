import { data } from "react-router";

/** Any address no other route claims: the root error boundary renders the 404 page. */
export const permission = "public";
export function loader() {
  throw data("Not found", { status: 404 });
}

export function action() {
  throw data("Not found", { status: 404 });
}

export default function NotFound() {
  return null;
}

import { type AnchorHTMLAttributes, useEffect } from "react";
import { useNavigate } from "react-router";

/**
 * A link to a page of the app, drawn as a bare <a>: for pages that draw links by the dozen (a row of the
 * coverage matrix holds up to eight). React Router's <Link> resolves its path and sets up its own click
 * handling in every instance, on the server too; on the matrix that was about 0.4 ms of every page
 * (decision 0034). These links name absolute paths, so there is nothing to resolve; one listener on the
 * document (useClientNavigation, in the root) follows them inside the app on a plain click, as <Link>
 * does. Without JavaScript they are ordinary links.
 */
export function PlainLink({ to, ...rest }: { to: string } & Omit<AnchorHTMLAttributes<HTMLAnchorElement>, "href">) {
  return <a href={to} data-client-nav="" {...rest} />;
}

/** Follows PlainLinks inside the app: a plain left click on one, to this origin, with no target or download. */
export function useClientNavigation() {
  const navigate = useNavigate();
  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      if (event.defaultPrevented || event.button !== 0) return;
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const anchor = event.target instanceof Element ? event.target.closest("a[data-client-nav]") : null;
      if (!(anchor instanceof HTMLAnchorElement)) return;
      if ((anchor.target && anchor.target !== "_self") || anchor.hasAttribute("download")) return;
      const url = new URL(anchor.href);
      if (url.origin !== window.location.origin) return;
      event.preventDefault();
      void navigate(url.pathname + url.search + url.hash);
    };
    document.addEventListener("click", onClick);
    return () => document.removeEventListener("click", onClick);
  }, [navigate]);
}

import { type ReactNode, useEffect, useRef, useState } from "react";

/**
 * A wide table in its own scrolling container (the page never scrolls sideways), keyboard-focusable
 * so it can be scrolled without a mouse, with a visible cue when some of its columns are out of view.
 */
export function ScrollTable({ label, children }: { label: string; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [more, setMore] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const check = () => setMore(el.scrollWidth > el.clientWidth + 1 && el.scrollLeft + el.clientWidth < el.scrollWidth - 1);
    check();
    const observer = new ResizeObserver(check);
    observer.observe(el);
    el.addEventListener("scroll", check, { passive: true });
    return () => {
      observer.disconnect();
      el.removeEventListener("scroll", check);
    };
  }, []);
  return (
    <div className="custody-scroll-table">
      {more ? (
        <p className="custody-scroll-cue" aria-hidden="true">
          More columns to the right: scroll the table sideways →
        </p>
      ) : null}
      <div ref={ref} className="usa-table-container--scrollable" tabIndex={0} role="region" aria-label={label}>
        {children}
      </div>
    </div>
  );
}

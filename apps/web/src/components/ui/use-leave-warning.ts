"use client";

import { useEffect } from "react";

/**
 * Warns before unsaved edits are lost: on reload or closing the tab (the browser's own prompt) and on
 * in-app links, which Next.js follows without unloading the page.
 */
export function useLeaveWarning(dirty: boolean, message = "You have unsaved edits. Leave this page and lose them?") {
  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      event.returnValue = "";
    };
    const onClick = (event: MouseEvent) => {
      const link = (event.target as Element | null)?.closest?.("a[href]");
      if (!(link instanceof HTMLAnchorElement) || link.target === "_blank" || event.metaKey || event.ctrlKey || event.shiftKey) return;
      if (link.origin !== window.location.origin || window.confirm(message)) return;
      // Captured before React sees it, so neither Next's router nor the browser follows the link.
      event.preventDefault();
      event.stopPropagation();
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    document.addEventListener("click", onClick, true);
    return () => {
      window.removeEventListener("beforeunload", onBeforeUnload);
      document.removeEventListener("click", onClick, true);
    };
  }, [dirty, message]);
}

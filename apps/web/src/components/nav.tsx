"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  ["/", "Overview"],
  ["/agents", "Agents"],
  ["/conversations", "Conversations"],
  ["/runs", "Runs"],
  ["/analytics", "Analytics"],
  ["/command-center", "Command Center"],
  ["/servers", "Servers"],
  ["/members", "Members"],
  ["/api-tokens", "API tokens"],
  ["/audit", "Audit log"],
] as const;

export function Nav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="nav">
      {LINKS.map(([href, label]) => {
        const active = href === "/" ? pathname === "/" : pathname.startsWith(href);
        return (
          <Link key={href} href={href} aria-current={active ? "page" : undefined}>
            {label}
          </Link>
        );
      })}
    </nav>
  );
}

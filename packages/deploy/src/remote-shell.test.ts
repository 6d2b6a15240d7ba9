import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { quote, resolveRoot } from "./remote-shell";

const tricky = [
  "plain",
  "",
  "with space",
  "it's",
  "''",
  "a'b'c",
  "$(touch /tmp/pwned)",
  "`id`",
  '"double"',
  "back\\slash",
  "new\nline",
  "semi;colon && rm -rf x",
  "*",
  "~",
  "-n",
  "ünïcødé ✓",
  "$HOME",
];

describe("quote", () => {
  it.each(tricky)("a real /bin/sh reads %j back unchanged", (value) => {
    const echoed = execFileSync("/bin/sh", ["-c", `printf '%s' ${quote(value)}`]).toString();
    expect(echoed).toBe(value);
  });

  it("keeps several quoted words apart", () => {
    const out = execFileSync("/bin/sh", [
      "-c",
      `for a in ${tricky.map(quote).join(" ")}; do printf '[%s]' "$a"; done`,
    ]).toString();
    expect(out).toBe(tricky.map((t) => `[${t}]`).join(""));
  });

  it("refuses a NUL byte, which no shell argument can hold", () => {
    expect(() => quote("a\0b")).toThrow(/NUL/);
  });
});

describe("resolveRoot", () => {
  it.each([
    ["~/kayos-command-center", "/home/ann/kayos-command-center"],
    ["~", "/home/ann"],
    ["kayos", "/home/ann/kayos"],
    ["/srv/kayos/", "/srv/kayos"],
    ["~/a/../b", "/home/ann/b"],
  ])("%s resolves to %s", (root, expected) => {
    expect(resolveRoot(root, "/home/ann")).toBe(expected);
  });
});

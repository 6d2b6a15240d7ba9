import { describe, expect, it } from "vitest";
import { progressLine } from "./progress";

const stream = (isTTY: boolean) => {
  const written: string[] = [];
  return { isTTY, written, write: (s: string) => (written.push(s), true) };
};

describe("import progress line", () => {
  it("rewrites one line on a terminal, at most every interval, always showing the last step", () => {
    const out = stream(true);
    const line = progressLine(out, 4, "Importing files", 60_000);
    for (let done = 1; done <= 4; done++) line.update(done);
    line.end();
    expect(out.written).toEqual(["\rImporting files: 1/4 (25%)", "\rImporting files: 4/4 (100%)", "\n"]);
  });

  it("writes nothing when the output is not a terminal (logs, CI), or there is nothing to import", () => {
    const log = stream(false);
    const line = progressLine(log, 4, "Importing files");
    line.update(4);
    line.end();
    expect(log.written).toEqual([]);
    const empty = stream(true);
    progressLine(empty, 0, "Importing files").end();
    expect(empty.written).toEqual([]);
  });
});

// A one-line progress counter for long imports, on a terminal only: logs and CI output stay clean.

export interface ProgressLine {
  update(done: number): void;
  end(): void;
}

/** `what: done/total (pct%)`, rewritten in place at most every `everyMs` (and always at the end). */
export function progressLine(stream: Pick<NodeJS.WriteStream, "isTTY" | "write">, total: number, what: string, everyMs = 200): ProgressLine {
  const live = stream.isTTY === true && total > 0;
  let shownAt = -Infinity;
  let shown = false;
  return {
    update(done) {
      if (!live) return;
      const now = Date.now();
      if (done < total && now - shownAt < everyMs) return;
      shownAt = now;
      shown = true;
      stream.write(`\r${what}: ${done}/${total} (${Math.floor((done / total) * 100)}%)`);
    },
    end() {
      if (shown) stream.write("\n");
    },
  };
}

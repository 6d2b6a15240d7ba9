import { describe, expect, it } from "vitest";
import { renderTemplate } from "./template.js";

describe("renderTemplate", () => {
  const state = { input: { topic: "tides", n: 3 }, results: { fetch: { title: "Moon" } } };

  it("places strings as they are and other values as JSON; a missing path is empty", () => {
    expect(renderTemplate("{{input.topic}} x{{ input.n }}: {{results.fetch}} / {{results.fetch.title}} [{{results.none.x}}]", state)).toBe(
      'tides x3: {"title":"Moon"} / Moon []',
    );
  });

  it("never evaluates: anything that is not a plain path stays as written", () => {
    expect(renderTemplate("{{input.topic + 1}} {{constructor.name()}}", state)).toBe("{{input.topic + 1}} {{constructor.name()}}");
  });
});

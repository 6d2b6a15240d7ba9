import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineEnv, EnvError } from "./define";

const shape = { SECRET: z.string().min(8), PORT: z.coerce.number().int() };

describe("defineEnv", () => {
  it("uses development defaults outside production", () => {
    const env = defineEnv(shape, { SECRET: "dev-secret", PORT: "3000" }, { NODE_ENV: "development" });
    expect(env).toEqual({ SECRET: "dev-secret", PORT: 3000 });
  });

  it("refuses to start in production without a variable, naming it", () => {
    expect(() => defineEnv(shape, { SECRET: "dev-secret", PORT: "3000" }, { NODE_ENV: "production", PORT: "1" })).toThrow(
      new EnvError("Missing required environment variable in production: SECRET"),
    );
  });

  it("names the variable whose value is invalid", () => {
    expect(() => defineEnv(shape, {}, { SECRET: "short", PORT: "x" })).toThrow(/SECRET: .*PORT: /);
  });
});

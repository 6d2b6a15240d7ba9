import { defineConfig } from "tsup";

// ESM + CJS + declarations for publishing; workspace consumers import the TypeScript source.
export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
});

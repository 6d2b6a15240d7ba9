// Project global setup: build the release once for the tests that run it as a customer's server does.
import { bundle } from "../scripts/bundle";

export default async function setup() {
  await bundle();
}

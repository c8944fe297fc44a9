import { writeStylesheet } from '../../src/build/stylesheet.js';

/** The app serves the stylesheet the build writes (see loadAssets); tests run from source, so write it first. */
export default async function setup(): Promise<void> {
  await writeStylesheet();
}

// Modules the Worker build (scripts/build-worker.ts) generates: the rules files and the built assets.
declare module 'virtual:duyet-rules' {
  const files: { name: string; text: string }[];
  export default files;
}
declare module 'virtual:duyet-assets' {
  import type { Assets } from '../http/assets.ts';

  const assets: Assets;
  export default assets;
}

// Types for packages of yargs's that ship none: cliui (src/cli/yargs-platform.ts) and y18n
// (its test compares the layer's messages with y18n's).
declare module 'cliui' {
  export default function cliui(options: { width: number; wrap?: boolean }): unknown;
}

declare module 'y18n' {
  export default function y18n(options: { directory: string; updateFiles: boolean }): unknown;
}

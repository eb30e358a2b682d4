// Types for the two packages of yargs's that src/cli/yargs-platform.ts uses and that ship none.
declare module 'cliui' {
  export default function cliui(options: { width: number; wrap?: boolean }): unknown;
}

declare module 'y18n' {
  export default function y18n(options: { directory: string; updateFiles: boolean }): unknown;
}

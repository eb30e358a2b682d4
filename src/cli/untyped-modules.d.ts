// Types for the package of yargs's that src/cli/yargs-platform.ts uses and that ships none.
declare module 'cliui' {
  export default function cliui(options: { width: number; wrap?: boolean }): unknown;
}

#!/usr/bin/env node
// The process shell: signals and the exit code live here, so `main` stays testable in-process.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const { main } = await import("../dist/cli/main.js");

// SIGTERM/SIGINT: stop starting new writes and let the one in flight finish; a second signal exits at once.
// The emulator and daemon commands add their own handlers for a clean close.
const shutdown = new AbortController();
const onSignal = (signal) => {
  if (shutdown.signal.aborted) process.exit(signal === "SIGINT" ? 130 : 143);
  shutdown.abort();
};
const command = process.argv.slice(2).find((a) => !a.startsWith("-"));
if (command !== "emulator") {
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
process.exitCode = await main(process.argv.slice(2), undefined, { signal: shutdown.signal });

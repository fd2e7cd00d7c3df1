/**
 * stdout belongs to the command's result (the simulate report is one JSON
 * document); everything libraries print (Powertools logs, metrics) goes to
 * stderr. Call before the pipeline is loaded.
 */
export function reserveStdout(): (text: string) => void {
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  // Powertools writes through the global console only in dev mode; then it follows the redirect above.
  process.env.POWERTOOLS_DEV ??= "true";
  process.env.POWERTOOLS_LOG_LEVEL ??= "WARN";
  process.env.POWERTOOLS_METRICS_DISABLED ??= "true";
  return (text: string) => {
    write(text);
  };
}

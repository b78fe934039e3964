import { execFileSync } from 'node:child_process';

/**
 * Freezes the process listening on `port` (SIGSTOP) — to its clients it looks
 * like a hung server or a network partition: connections stay open, requests
 * time out — and returns a function that resumes it (SIGCONT). Used to take
 * the local Kafka broker away mid-test without a slow restart.
 */
export function pauseListener(port: number): () => void {
  const output = execFileSync('ss', ['-Hltnp', `sport = :${port}`], { encoding: 'utf8' });
  const pid = /pid=(\d+)/.exec(output)?.[1];
  if (!pid) throw new Error(`no process found listening on port ${port} (are you root?)`);
  process.kill(Number(pid), 'SIGSTOP');
  let resumed = false;
  const resume = () => {
    if (resumed) return;
    resumed = true;
    process.kill(Number(pid), 'SIGCONT');
  };
  // Never leave a frozen broker behind, whatever happens to the test.
  process.once('exit', resume);
  return resume;
}

/**
 * Loaded by the bench into every process it starts, the app's included (node --import, which cluster workers
 * inherit): the process stops itself once the process that started it has gone. The bench stops its children itself
 * however it ends, but a bench killed outright (SIGKILL) cannot, and an app left running would hold its port and
 * keep working on its temp database. Politely first (SIGTERM: the app's graceful shutdown), for certain ten seconds
 * later. (A bench killed outright also leaves its temp folder behind: nothing can remove it then.)
 */
const parent = process.ppid;
const watch = setInterval(() => {
  if (process.ppid === parent) return;
  clearInterval(watch);
  process.kill(process.pid, 'SIGTERM');
  setTimeout(() => process.kill(process.pid, 'SIGKILL'), 10_000).unref();
}, 1000);
watch.unref();

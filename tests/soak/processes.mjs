// The soak's processes: the chaos upstream, and the shim under test with its
// exit status (LeakSanitizer reports at exit).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export function startChaos(target) {
    return startListening(process.execPath, [path.join(here, 'chaos-upstream.mjs'), '--target', target, '--fault-share', '0.1']);
}

export function startSoakShim(binary, upstreams) {
    const args = ['serve', '--listen', '127.0.0.1:0', ...upstreams.flatMap(u => ['--upstream', u]),
        '--upstream-timeout-ms', '2000', '--upstream-idle-timeout-ms', '2000', '--input-timeout-ms', '5000'];
    return startListening(binary, args, { ASAN_OPTIONS: 'quarantine_size_mb=16:detect_leaks=1', LSAN_OPTIONS: 'exitcode=23' });
}

async function startListening(command, args, env = {}) {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let logs = '';
    // Keep the end of the log only: a long soak logs every request.
    child.stderr.on('data', chunk => (logs = (logs + chunk).slice(-200000)));
    const url = await new Promise((resolve, reject) => {
        let buffered = '';
        child.stdout.on('data', chunk => {
            buffered += chunk;
            const line = buffered.split('\n').find(l => l.includes('"listening"'));
            if (line) resolve(JSON.parse(line).listening);
        });
        child.on('exit', code => reject(new Error(`${command} exited with ${code}: ${logs}`)));
    });
    return {
        url,
        child,
        logs: () => logs,
        async stop() {
            if (child.exitCode !== null) return child.exitCode;
            child.kill('SIGTERM');
            const [code, signal] = await once(child, 'exit');
            return code ?? signal;
        }
    };
}

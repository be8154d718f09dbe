// `mcpshim analyze` on the fixture corpus (captures of the legacy fixture
// servers), on captures made afresh through `mcpshim record`, and on broken
// input; SARIF checked against the official SARIF 2.1.0 schema.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

import { Client, ElicitRequestSchema, StreamableHTTPClientTransport } from '../../fixtures/lib/legacy-sdk.mjs';
import { processGroup, root, shimBinary, startFixture, startShim } from './harness.mjs';

const run = promisify(execFile);
const captures = path.join(root, 'fixtures/captures');
const expected = JSON.parse(readFileSync(path.join(captures, 'expected-findings.json'), 'utf8')).captures;
const SEVERITY_RANK = { 'breaks-when-stateless': 0, 'breaks-behind-round-robin': 1, 'needs-translation': 2, informational: 3 };

async function analyze(files, extra = []) {
    try {
        const { stdout } = await run(shimBinary, ['analyze', ...files, '--no-progress', ...extra], { maxBuffer: 64 << 20 });
        return { code: 0, stdout };
    } catch (error) {
        if (typeof error.code !== 'number') throw error;
        return { code: error.code, stdout: error.stdout, stderr: error.stderr };
    }
}

async function findingsOf(file, extra = []) {
    const { stdout } = await analyze([file], ['--format', 'json', ...extra]);
    const report = JSON.parse(stdout);
    return { report, findings: report.servers.flatMap(s => s.findings.map(f => ({ ...f, server: s.name }))) };
}

// Every expected finding is there; nothing else above informational.
function compare(found, wanted) {
    const missing = wanted.filter(w => !found.some(f => f.server === w.server && f.rule === w.rule && w.tools.every(t => f.tools.includes(t))));
    const unexpected = found.filter(f => SEVERITY_RANK[f.severity] < SEVERITY_RANK.informational && !wanted.some(w => w.server === f.server && w.rule === f.rule));
    return { missing, unexpected };
}

async function checkCorpus(directory, extra = []) {
    let planted = 0;
    let found = 0;
    let falseOnClean = 0;
    const problems = [];
    for (const [file, wanted] of Object.entries(expected)) {
        const { findings } = await findingsOf(path.join(directory, file), extra);
        const { missing, unexpected } = compare(findings, wanted);
        planted += wanted.length;
        found += wanted.length - missing.length;
        if (wanted.length === 0) falseOnClean += unexpected.length;
        for (const m of missing) problems.push(`${file}: missing ${m.rule} ${m.tools.join(',')}`);
        for (const u of unexpected) problems.push(`${file}: unexpected ${u.rule} (${u.severity}) ${u.message}`);
    }
    return { planted, found, falseOnClean, problems };
}

test('analyzer', async t => {
    await t.test('the fixture corpus: every planted pattern found, clean servers silent', async () => {
        const result = await checkCorpus(captures);
        console.log(`analyzer corpus: planted patterns found ${result.found}/${result.planted}, ${result.falseOnClean} false findings on clean servers`);
        assert.deepEqual(result.problems, []);
    });

    await t.test('following one session at a time (flat memory) finds the same', async () => {
        const result = await checkCorpus(captures, ['--max-live-sessions', '1']);
        assert.deepEqual(result.problems, []);
    });

    await t.test('captures made afresh through mcpshim record give the same findings', async () => {
        const fresh = mkdtempSync(path.join(os.tmpdir(), 'mcpshim-captures-'));
        await run(process.execPath, [path.join(captures, 'capture.mjs'), '--mcpshim', shimBinary, '--out', fresh], { timeout: 120000 });
        const result = await checkCorpus(fresh);
        assert.deepEqual(result.problems, []);
        // The recording says who called without keeping the credential.
        const recording = readFileSync(path.join(fresh, 'login.jsonl'), 'utf8');
        assert.ok(!recording.includes('alice-token') && !recording.includes('mallory-token'));
        assert.match(recording, /"principal":"[0-9a-f]{32}"/);
    });

    await t.test('serve --record writes what legacy clients exchanged with the shim', async () => {
        const start = processGroup(t);
        const fixture = await start(startFixture());
        const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'mcpshim-serve-record-')), 'face.jsonl');
        const shim = await start(startShim([fixture.url], ['--record', file]));
        const client = new Client({ name: 'recorded', version: '1' }, { capabilities: { elicitation: {} } });
        client.setRequestHandler(ElicitRequestSchema, request => ({ action: 'accept', content: { value: request.params.message.length > 9 ? 'Ada' : 'x' } }));
        await client.connect(new StreamableHTTPClientTransport(new URL(shim.url), { requestInit: { headers: { authorization: 'Bearer sekret' } } }));
        await client.callTool({ name: 'test_elicitation_rounds', arguments: {} });
        await client.close();
        const recording = readFileSync(file, 'utf8');
        assert.ok(!recording.includes('sekret'), 'no credential in the recording');
        const { findings } = await findingsOf(file);
        const asked = findings.find(f => f.rule === 'server-to-client-requests');
        assert.ok(asked, JSON.stringify(findings.map(f => f.rule)));
        assert.deepEqual(asked.tools, ['test_elicitation_rounds']);
    });

    await t.test('a plain line-delimited JSON-RPC log is read as a stdio session', async () => {
        const plain = readFileSync(path.join(captures, 'cart-claude-desktop.log'), 'utf8')
            .split('\n')
            .map(line => line.match(/Message from (?:client|server): (\{.*?\})(?: \{ metadata: .*\})?$/)?.[1])
            .filter(Boolean)
            .join('\n');
        const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'mcpshim-stdio-')), 'server.jsonl');
        writeFileSync(file, plain + '\n');
        const { report, findings } = await findingsOf(file);
        assert.equal(report.inputs[0].format, 'stdio-log');
        assert.ok(findings.some(f => f.rule === 'session-accumulator'));
    });

    await t.test('broken input is reported with its place and skipped; the scan goes on', async () => {
        const dir = mkdtempSync(path.join(os.tmpdir(), 'mcpshim-broken-'));
        // A recording with a line cut in the middle.
        const lines = readFileSync(path.join(captures, 'cart.jsonl'), 'utf8').split('\n');
        lines.splice(5, 0, '{"t":"2026-01-01T00:00:00Z","conn":1,"x":');
        writeFileSync(path.join(dir, 'cart.jsonl'), lines.join('\n'));
        // A HAR export cut short, and one with a binary body.
        const har = readFileSync(path.join(captures, 'browser.har'), 'utf8');
        writeFileSync(path.join(dir, 'truncated.har'), har.slice(0, Math.floor(har.length * 0.6)));
        const document = JSON.parse(har);
        document.log.entries[3].response.content = { mimeType: 'application/octet-stream', encoding: 'base64', text: Buffer.from([0, 1, 2, 255, 0]).toString('base64') };
        writeFileSync(path.join(dir, 'binary.har'), JSON.stringify(document));

        const { report, findings } = await findingsOf(path.join(dir, 'cart.jsonl'));
        assert.equal(report.inputs[0].brokenCount, 1);
        assert.equal(report.inputs[0].broken[0].line, 6);
        assert.ok(findings.some(f => f.rule === 'session-accumulator'), 'the rest of the file was read');

        const truncated = await findingsOf(path.join(dir, 'truncated.har'));
        assert.equal(truncated.report.inputs[0].brokenCount, 1);
        assert.match(truncated.report.inputs[0].broken[0].why, /not valid JSON at byte \d+/);
        assert.ok(truncated.report.inputs[0].entries > 0, 'entries before the cut were read');

        const binary = await findingsOf(path.join(dir, 'binary.har'));
        assert.deepEqual(binary.report.inputs[0].broken.map(b => [b.entry, b.why]), [[3, 'response: a binary body, skipped']]);
        assert.ok(binary.findings.some(f => f.rule === 'session-opener'));

        const missing = await analyze([path.join(dir, 'no-such-file.har')]);
        assert.equal(missing.code, 2);
        assert.match(missing.stderr, /cannot open/);
    });

    await t.test('exit codes follow --fail-on', async () => {
        assert.equal((await analyze([path.join(captures, 'clean-cart.jsonl')])).code, 0);
        assert.equal((await analyze([path.join(captures, 'cart.jsonl')])).code, 1);
        assert.equal((await analyze([path.join(captures, 'cart.jsonl')], ['--fail-on', 'never'])).code, 0);
        assert.equal((await analyze([path.join(captures, 'interactive.jsonl')])).code, 0);
        assert.equal((await analyze([path.join(captures, 'interactive.jsonl')], ['--fail-on', 'needs-translation'])).code, 1);
        assert.equal((await analyze([path.join(captures, 'cart.jsonl')], ['--format', 'yaml'])).code, 2);
    });

    await t.test('SARIF validates against the SARIF 2.1.0 schema', async () => {
        const require = createRequire(path.join(root, 'fixtures/package.json'));
        const Ajv2020 = require('ajv/dist/2020').default;
        const addFormats = require('ajv-formats');
        const schema = JSON.parse(readFileSync(require.resolve('@microsoft/sarif-multitool-linux/sarif-2.1.0.json'), 'utf8'));
        const ajv = new Ajv2020({ strict: false, allErrors: true });
        addFormats(ajv);
        const validate = ajv.compile(schema);
        const files = Object.keys(expected).map(f => path.join(captures, f));
        const { stdout } = await analyze(files, ['--format', 'sarif']);
        const sarif = JSON.parse(stdout);
        assert.ok(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3)));
        assert.equal(sarif.runs[0].tool.driver.rules.length, 10);
        const opener = sarif.runs[0].results.find(r => r.ruleId === 'session-opener');
        assert.equal(opener.level, 'error');
        assert.ok(opener.locations.some(l => l.physicalLocation.region?.startLine > 0));
    });

    await t.test('the markdown plan names the concrete change and what the shim covers', async () => {
        const { stdout } = await analyze([path.join(captures, 'browser.jsonl'), path.join(captures, 'interactive.jsonl')], ['--format', 'markdown']);
        assert.match(stdout, /`browser_open` should return a `browser_id`; `browser_navigate` and `browser_snapshot` should take it/);
        assert.match(stdout, /Verdict: not ready: breaks when stateless/);
        assert.match(stdout, /### Covered by mcpshim while you migrate[\s\S]*server-to-client-requests/);
    });
});

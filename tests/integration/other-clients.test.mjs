// Other real legacy clients: the MCP Inspector's CLI, and the official SDK
// client held to older protocol versions by --max-legacy-version.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

import { Client, StreamableHTTPClientTransport } from '../../fixtures/lib/legacy-sdk.mjs';
import { processGroup, root, startFixture, startShim } from './harness.mjs';

const run = promisify(execFile);
// The published CLI finds its own package.json relative to the working directory.
const inspectorDir = path.join(root, 'fixtures/node_modules/@modelcontextprotocol/inspector-cli/build');

async function inspector(...args) {
    const { stdout } = await run(process.execPath, ['index.js', ...args], { cwd: inspectorDir, timeout: 30000 });
    return JSON.parse(stdout);
}

test('the MCP Inspector CLI lists and calls tools through the shim', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const shim = await start(startShim([fixture.url]));
    const { tools } = await inspector(shim.url, '--method', 'tools/list');
    assert.ok(tools.some(tool => tool.name === 'echo'));
    const called = await inspector(shim.url, '--method', 'tools/call', '--tool-name', 'echo', '--tool-arg', 'text=inspected');
    assert.equal(called.content[0].text, 'inspected');
    const read = await inspector(shim.url, '--method', 'resources/read', '--uri', 'test://static-text');
    assert.match(read.contents[0].text, /static text resource/);
});

for (const version of ['2025-06-18', '2025-03-26']) {
    test(`the official SDK client speaking ${version}`, async t => {
        const start = processGroup(t);
        const fixture = await start(startFixture());
        const shim = await start(startShim([fixture.url], ['--max-legacy-version', version]));
        const client = new Client({ name: `client-${version}`, version: '1' });
        const transport = new StreamableHTTPClientTransport(new URL(shim.url));
        await client.connect(transport);
        assert.equal(transport.protocolVersion, version);
        const progress = [];
        const result = await client.callTool({ name: 'test_tool_with_progress', arguments: {} }, undefined, {
            onprogress: p => progress.push(p.progress)
        });
        assert.deepEqual(progress, [0, 50, 100]);
        assert.ok(result.content.length > 0);
        const audio = await client.callTool({ name: 'test_audio_content', arguments: {} });
        assert.equal(audio.content[0].type, 'audio', 'audio exists from 2025-03-26 on');
        await client.close();
    });
}

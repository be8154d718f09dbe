// Modern input_required results played out as legacy server-to-client
// requests (elicitation, sampling, roots) with the official legacy SDK client.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
    Client,
    CreateMessageRequestSchema,
    ElicitRequestSchema,
    ListRootsRequestSchema,
    StreamableHTTPClientTransport
} from '../../fixtures/lib/legacy-sdk.mjs';
import { processGroup, rawInitialize, startFixture, startShim } from './harness.mjs';

async function connect(url, capabilities, handlers = {}) {
    const client = new Client({ name: 'input-test', version: '1' }, { capabilities });
    for (const [schema, handler] of handlers) client.setRequestHandler(schema, handler);
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    return client;
}

test('input requests', async t => {
    const start = processGroup(t);
    const fixture = await start(startFixture());
    const shim = await start(startShim([fixture.url], ['--input-timeout-ms', '800']));

    await t.test('elicitation over two rounds, two questions in the first, answered in the order asked', async () => {
        const asked = [];
        const answers = { 'First name?': 'Ada', 'Last name?': 'Lovelace', 'Favourite colour, Ada?': 'green' };
        const client = await connect(shim.url, { elicitation: {} }, [
            [ElicitRequestSchema, request => {
                asked.push(request.params.message);
                return { action: 'accept', content: { value: answers[request.params.message] } };
            }]
        ]);
        const result = await client.callTool({ name: 'test_elicitation_rounds', arguments: {} });
        assert.equal(result.content[0].text, 'Ada Lovelace likes green');
        assert.deepEqual(asked, ['First name?', 'Last name?', 'Favourite colour, Ada?']);
        await client.close();
    });

    await t.test('sampling and roots', async () => {
        const client = await connect(shim.url, { sampling: {}, roots: { listChanged: true } }, [
            [CreateMessageRequestSchema, request => ({
                role: 'assistant',
                model: 'test-model',
                content: { type: 'text', text: `echo: ${request.params.messages[0].content.text}` }
            })],
            [ListRootsRequestSchema, () => ({ roots: [{ uri: 'file:///work', name: 'work' }] })]
        ]);
        const sampled = await client.callTool({ name: 'test_sampling', arguments: { prompt: 'hi' } });
        assert.equal(sampled.content[0].text, 'LLM response: echo: hi');
        const roots = await client.callTool({ name: 'test_list_roots', arguments: {} });
        assert.equal(roots.content[0].text, 'roots: file:///work');
        await client.close();
    });

    await t.test('a client that declined elicitation at initialize is never asked', async () => {
        let asked = false;
        const client = await connect(shim.url, {}, []);
        client.fallbackRequestHandler = async () => {
            asked = true;
            return {};
        };
        await assert.rejects(client.callTool({ name: 'test_elicitation', arguments: { message: 'x' } }), error => {
            assert.match(error.message, /elicitation/);
            return true;
        });
        assert.equal(asked, false);
        await client.close();
    });

    await t.test('a client that answers with an error fails the call with that error', async () => {
        const client = await connect(shim.url, { elicitation: {} }, [
            [ElicitRequestSchema, () => {
                throw new Error('user closed the dialog');
            }]
        ]);
        await assert.rejects(client.callTool({ name: 'test_elicitation', arguments: { message: 'x' } }), error => {
            assert.match(error.message, /answered elicitation\/create with an error/);
            return true;
        });
        await client.close();
    });

    await t.test('a client that never answers gets a clean error after --input-timeout-ms', async () => {
        const { sessionId } = await rawInitialize(shim.url, {}, '2025-11-25', { elicitation: {} });
        const started = Date.now();
        const response = await fetch(shim.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': sessionId },
            body: JSON.stringify({ jsonrpc: '2.0', id: 41, method: 'tools/call', params: { name: 'test_elicitation', arguments: { message: 'x' } } })
        });
        const text = await response.text();
        const messages = text.split('\n').filter(l => l.startsWith('data: ') && l.length > 6).map(l => JSON.parse(l.slice(6)));
        assert.equal(messages[0].method, 'elicitation/create');
        const final = messages.at(-1);
        assert.equal(final.id, 41);
        assert.match(final.error.message, /--input-timeout-ms/);
        assert.ok(Date.now() - started >= 700);
    });
});

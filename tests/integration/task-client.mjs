// A task-augmented call through the official legacy SDK client, run to its
// end: what its stream yielded (the task made, its statuses, result or error).
import { CallToolResultSchema } from '../../fixtures/lib/legacy-sdk.mjs';

export async function callAsTask(client, name, args) {
    const seen = { created: undefined, statuses: [], result: undefined, error: undefined };
    const stream = client.experimental.tasks.callToolStream({ name, arguments: args }, CallToolResultSchema, { task: { ttl: 60000 } });
    for await (const message of stream) {
        if (message.type === 'taskCreated') seen.created = message.task;
        else if (message.type === 'taskStatus') seen.statuses.push(message.task.status);
        else if (message.type === 'result') seen.result = message.result;
        else if (message.type === 'error') seen.error = message.error;
    }
    return seen;
}

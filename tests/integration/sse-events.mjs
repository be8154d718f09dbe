// Reading SSE as a raw client does: a body's events as {field: value}, and a
// GET that resumes a stream with Last-Event-ID.
export function events(text) {
    return text
        .split('\n\n')
        .filter(block => block.trim())
        .map(block => {
            const event = {};
            for (const line of block.split('\n')) {
                const [field, ...rest] = line.split(': ');
                event[field] = rest.join(': ');
            }
            return event;
        });
}

export async function resume(url, sessionId, lastEventId) {
    const response = await fetch(url, {
        headers: { accept: 'text/event-stream', 'mcp-session-id': sessionId, 'last-event-id': lastEventId }
    });
    return { status: response.status, text: await response.text() };
}

// The parts of Monaco that BlazorMonaco does not wrap: a model per editor (so a JSON schema applies to
// that editor only), the JSON language's schemas, markers from the server, and a quiet change signal.

// Monaco's JSON defaults are global: every editor's schema is kept here and all are set together.
const schemas = new Map();
const attached = new Map();

function applySchemas() {
    const json = monaco.languages.json;
    if (!json) {
        return;
    }

    json.jsonDefaults.setDiagnosticsOptions({
        validate: true,
        allowComments: false,
        enableSchemaRequest: false,
        schemas: Array.from(schemas, ([uri, schema]) => ({ uri: uri + "#schema", fileMatch: [uri], schema })),
    });
}

// Gives the editor its own JSON model and tells .NET when the text has settled; the text itself is
// read by .NET with getValue, so typing never sends the document over the circuit key by key.
export function attach(id, dotnetRef, modelUri, value, debounceMs, language) {
    const editor = window.blazorMonaco.editor.getEditor(id, true);
    if (!editor) {
        return false;
    }

    const old = editor.getModel();
    // Note: BlazorMonaco makes the editor anew (same id) when it is created again; the model of the
    // earlier attach still holds this URI, and Monaco refuses a second model under one URI.
    monaco.editor.getModel(monaco.Uri.parse(modelUri))?.dispose();
    const model = monaco.editor.createModel(value ?? "", language || "json", monaco.Uri.parse(modelUri));
    editor.setModel(model);
    if (old) {
        old.dispose();
    }

    const state = { model, timer: 0, subscription: null };
    state.subscription = model.onDidChangeContent(() => {
        clearTimeout(state.timer);
        state.timer = setTimeout(() => {
            dotnetRef.invokeMethodAsync("OnContentSettled").catch(() => { /* the circuit is gone */ });
        }, debounceMs);
    });
    attached.set(id, state);
    return true;
}

// Replaces the text only when it differs, so the cursor and undo history stay when nothing changed.
export function setValue(id, value) {
    const state = attached.get(id);
    if (state && state.model.getValue() !== value) {
        state.model.pushEditOperations([], [{ range: state.model.getFullModelRange(), text: value }], () => null);
    }
}

export function setSchema(modelUri, schemaJson) {
    if (schemaJson) {
        schemas.set(modelUri, JSON.parse(schemaJson));
    } else {
        schemas.delete(modelUri);
    }

    applySchemas();
}

// markers: [{ line, column, message }]; column 0 marks the whole line.
export function setMarkers(id, markers) {
    const state = attached.get(id);
    if (!state) {
        return;
    }

    const model = state.model;
    const lines = model.getLineCount();
    monaco.editor.setModelMarkers(model, "server", markers.map(m => {
        const line = Math.min(Math.max(m.line, 1), lines);
        const whole = !m.column || m.column < 1;
        return {
            severity: monaco.MarkerSeverity.Error,
            message: m.message,
            startLineNumber: line,
            startColumn: whole ? model.getLineFirstNonWhitespaceColumn(line) || 1 : m.column,
            endLineNumber: line,
            endColumn: model.getLineMaxColumn(line),
        };
    }));
}

export function detach(id, modelUri) {
    const state = attached.get(id);
    attached.delete(id);
    if (schemas.delete(modelUri)) {
        applySchemas();
    }

    if (state) {
        clearTimeout(state.timer);
        state.subscription.dispose();
        monaco.editor.setModelMarkers(state.model, "server", []);
        state.model.dispose();
    }
}

// Workspace-wide keyboard shortcuts (Ctrl+K opens global search).
window.crm = (function () {
    let handler = null;
    return {
        registerHotkeys(dotnet) {
            if (handler) document.removeEventListener('keydown', handler);
            handler = (e) => {
                if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
                    e.preventDefault();
                    dotnet.invokeMethodAsync('OpenSearch');
                }
            };
            document.addEventListener('keydown', handler);
            // Tests and scripts wait for this before typing: the circuit is up.
            document.body.dataset.interactive = '1';
        },
        unregisterHotkeys() {
            if (handler) document.removeEventListener('keydown', handler);
            handler = null;
        },
        focus(selector) {
            const el = document.querySelector(selector);
            if (el) el.focus();
        }
    };
})();
// Infinite scroll: call LoadMoreAsync when the sentinel under the timeline comes into view.
window.crm.observeSentinel = function (id, dotnet) {
    const el = document.getElementById(id);
    if (!el || !('IntersectionObserver' in window)) return;
    const io = new IntersectionObserver(entries => {
        if (entries.some(e => e.isIntersecting)) dotnet.invokeMethodAsync('LoadMoreAsync').catch(() => io.disconnect());
    }, { rootMargin: '200px' });
    io.observe(el);
};
// Downloads a generated file, reporting received bytes; returns null, or the server's message when it refused.
window.crm.download = async function (url, dotnet) {
    const res = await fetch(url, { credentials: 'same-origin' });
    if (!res.ok) {
        let text = await res.text();
        try {
            const p = JSON.parse(text);
            text = p.errors ? Object.values(p.errors).flat().join(' ') : (p.detail || p.title || text);
        } catch { /* plain text */ }
        return text || res.statusText;
    }
    const reader = res.body.getReader();
    const chunks = [];
    let received = 0;
    for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        received += value.length;
        if (dotnet) dotnet.invokeMethodAsync('DownloadProgress', received).catch(() => { });
    }
    const name = (/filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(res.headers.get('content-disposition') || '') || [])[1] || 'download';
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob(chunks, { type: res.headers.get('content-type') || 'application/octet-stream' }));
    a.download = decodeURIComponent(name);
    document.body.appendChild(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    return null;
};
// Long notes. A Blazor event bigger than the hub's message limit drops the connection and the text with it, so text over
// the note limit never leaves the browser: a paste or drop that would pass it is refused (nothing inserted), typed text
// over it stays in the box but is not sent, and .NET is told either way so the person sees why.
window.crm.guardText = function (root, max, dotnet) {
    if (!root || root.__crmGuard) return;
    root.__crmGuard = true;
    const box = () => root.querySelector('textarea[data-testid=activity-body]');
    const tell = (length, pasted) => dotnet.invokeMethodAsync('TextTooLong', length, pasted).catch(() => { });
    const wouldBe = (el, text) => el.value.length - Math.abs((el.selectionEnd ?? 0) - (el.selectionStart ?? 0)) + text.length;
    const refuse = (e, text) => {
        const el = box();
        if (!el || e.target !== el) return;
        const length = wouldBe(el, text || '');
        if (length > max) { e.preventDefault(); e.stopPropagation(); tell(length, true); }
    };
    root.addEventListener('paste', e => refuse(e, e.clipboardData ? e.clipboardData.getData('text') : ''), true);
    root.addEventListener('drop', e => refuse(e, e.dataTransfer ? e.dataTransfer.getData('text') : ''), true);
    root.addEventListener('input', e => {
        const el = box();
        if (!el || e.target !== el) return;
        if (el.value.length <= max) {
            // Back within the limit: the message goes (the text itself travels with this event as usual).
            if (root.__crmOver) { root.__crmOver = false; tell(el.value.length, false); }
            return;
        }
        e.stopPropagation();
        root.__crmOver = true;
        tell(el.value.length, false);
    }, true);
};
// The notes box's length and pieces of its text, to check (and if need be re-read) what reached the server.
window.crm.textLength = function (root) {
    const el = root && root.querySelector('textarea[data-testid=activity-body]');
    return el ? el.value.length : null;
};
window.crm.textSlice = function (root, offset, count) {
    const el = root && root.querySelector('textarea[data-testid=activity-body]');
    return el ? el.value.substr(offset, count) : '';
};

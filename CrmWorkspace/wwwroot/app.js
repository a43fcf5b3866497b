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

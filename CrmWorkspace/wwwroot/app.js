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

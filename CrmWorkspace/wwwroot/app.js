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

// Idle sign-out: after Security:IdleMinutes without a key press, click, scroll or mouse move, sign out and show why.
// While someone works, a ping now and then keeps the sign-in cookie's idle clock from running out (a Blazor page talks
// over its WebSocket, which does not renew the cookie).
(function () {
    const minutes = Number(document.currentScript && document.currentScript.dataset.idleMinutes || 0);
    const path = location.pathname;
    if (!minutes || path.startsWith('/account/') || path.startsWith('/setup')) return;
    const idleMs = minutes * 60000;
    const pingMs = Math.min(idleMs / 3, 5 * 60000);
    let last = Date.now(), lastPing = Date.now(), done = false;
    const touch = () => { last = Date.now(); };
    ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'].forEach(e =>
        document.addEventListener(e, touch, { passive: true, capture: true }));
    setInterval(async () => {
        if (done) return;
        const now = Date.now();
        if (now - last >= idleMs) {
            done = true;
            try { await fetch('/account/logout?idle=true', { method: 'POST', credentials: 'same-origin' }); } catch { }
            location.href = '/account/login?idle=1';
            return;
        }
        if (last > lastPing && now - lastPing >= pingMs) {
            lastPing = now;
            fetch('/account/keepalive', { method: 'POST', credentials: 'same-origin' }).catch(() => { });
        }
    }, 5000);
})();

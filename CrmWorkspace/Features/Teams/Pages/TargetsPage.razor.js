// Keyboard for the targets grid: arrows and Enter move between cells (left/right only at the edge of the text), Ctrl+S saves.
export function attach(dotnet) {
    const handler = e => {
        const cell = e.target.closest && e.target.closest("input.targets-cell");
        if (e.key === "s" && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            if (cell) cell.dispatchEvent(new Event("change", { bubbles: true }));
            // After the change above, on the same connection: the server has the edit before it saves.
            dotnet.invokeMethodAsync("SaveFromKeyboard");
            return;
        }
        if (!cell) return;
        let row = +cell.dataset.row, col = +cell.dataset.col;
        const atStart = cell.selectionStart === 0 && cell.selectionEnd === 0;
        const atEnd = cell.selectionStart === cell.value.length;
        if (e.key === "ArrowDown" || (e.key === "Enter" && !e.shiftKey)) row++;
        else if (e.key === "ArrowUp" || (e.key === "Enter" && e.shiftKey)) row--;
        else if (e.key === "ArrowRight" && atEnd) col++;
        else if (e.key === "ArrowLeft" && atStart) col--;
        else return;
        const next = document.getElementById("targets-grid")?.querySelector(`input.targets-cell[data-row="${row}"][data-col="${col}"]`);
        if (!next) return;
        e.preventDefault();
        next.focus();
        next.select();
    };
    document.addEventListener("keydown", handler);
    return { dispose: () => document.removeEventListener("keydown", handler) };
}

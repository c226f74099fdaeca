// netready: small progressive helpers. Pages work without this file.
// Copy buttons: <button class="copy" data-copy-target="element-id"> copies that element's text.
document.addEventListener('click', (event) => {
  const button = event.target.closest('button.copy[data-copy-target]');
  if (!button) {
    return;
  }
  const source = document.getElementById(button.dataset.copyTarget);
  if (!source || !navigator.clipboard) {
    return;
  }
  navigator.clipboard.writeText(source.textContent).then(() => {
    const label = button.textContent;
    button.textContent = 'Copied';
    setTimeout(() => { button.textContent = label; }, 1500);
  });
});

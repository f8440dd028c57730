// report.html's one script: sortable table columns and opening the folded section a link
// leads to. Allowed by its SHA-256 in the page's content security policy (html::csp()).
(()=>{
const key=td=>{const d=td.dataset.sort;const t=(d!==undefined?d:td.textContent).trim();
if(t===''||t==='–')return null;const n=Number(d!==undefined?t:t.replace(/[^0-9eE+.\-].*$/,''));
return /^[-+]?[0-9.]/.test(t)&&Number.isFinite(n)?n:t.toLowerCase();};
for(const table of document.querySelectorAll('table.sortable')){
const ths=[...table.tHead.rows[0].cells];
ths.forEach((th,i)=>{th.tabIndex=0;th.title='Sort by this column';
const sort=()=>{const asc=th.getAttribute('aria-sort')!=='ascending';
for(const o of ths)o.removeAttribute('aria-sort');
th.setAttribute('aria-sort',asc?'ascending':'descending');
const body=table.tBodies[0];const rows=[...body.rows];
rows.sort((a,b)=>{const x=key(a.cells[i]),y=key(b.cells[i]);
if(x===null||y===null)return (x===null)-(y===null);
const c=typeof x==='number'&&typeof y==='number'?x-y:String(x).localeCompare(String(y));
return asc?c:-c;});
for(const r of rows)body.appendChild(r);};
th.addEventListener('click',sort);
th.addEventListener('keydown',e=>{if(e.key==='Enter'||e.key===' '){e.preventDefault();sort();}});});}
const open=()=>{const id=decodeURIComponent(location.hash.slice(1));const t=id&&document.getElementById(id);
for(let d=t&&t.closest('details');d;d=d.parentElement.closest('details'))d.open=true;};
addEventListener('hashchange',open);open();
})();

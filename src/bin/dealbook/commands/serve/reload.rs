//! Live reload: the script every served HTML page gets, and where it goes in the page.

use super::Shared;
use super::http::EVENTS_PATH;

/// Long-polls the events endpoint, reloads after a good build (or a restart of `dealbook
/// serve`), shows a failed build's errors as plain text in an overlay.
pub(super) fn script(shared: &Shared) -> String {
    let good = shared.state.borrow().good;
    // The instance id is hex digits and a dash: safe inside a JS string.
    format!(
        r#"<script>/* dealbook serve: live reload */(()=>{{
const good={good},instance="{instance}";let seen=-1,box=null;
const show=t=>{{if(!box){{box=document.createElement("pre");box.id="dealbook-errors";box.style.cssText="position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;margin:0;padding:12px 16px;background:#fff1f0;color:#8b0000;border-top:3px solid #d00;font:13px/1.5 ui-monospace,monospace;white-space:pre-wrap;z-index:2147483647";document.body.appendChild(box)}}box.textContent=t}};
const hide=()=>{{if(box){{box.remove();box=null}}}};
(async()=>{{for(;;){{try{{const r=await fetch("{EVENTS_PATH}?since="+seen,{{cache:"no-store"}});const s=await r.json();
if(s.instance!==instance||s.good>good){{location.reload();return}}
if(s.error){{show("构建失败，页面仍是上次成功的版本：\n\n"+s.error)}}else hide();seen=s.generation}}
catch(e){{await new Promise(f=>setTimeout(f,1000))}}}}}})()}})();</script>"#,
        instance = shared.instance,
    )
}

/// The script goes just before the last `</body>`, or at the end when there is none.
pub(super) fn inject(mut bytes: Vec<u8>, script: &str) -> Vec<u8> {
    let end = b"</body>";
    let at = bytes
        .windows(end.len())
        .rposition(|w| w.eq_ignore_ascii_case(end))
        .unwrap_or(bytes.len());
    bytes.splice(at..at, script.bytes());
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_last_body_end() {
        let out = inject(b"<p></body>x</BODY>\n".to_vec(), "<s>");
        assert_eq!(String::from_utf8(out).unwrap(), "<p></body>x<s></BODY>\n");
        let out = inject(b"<p>".to_vec(), "<s>");
        assert_eq!(String::from_utf8(out).unwrap(), "<p><s>");
    }
}

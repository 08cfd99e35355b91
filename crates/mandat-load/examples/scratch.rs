use mandat_load::*;
use std::time::Instant;
fn main() {
    let arg = std::env::args().nth(1).unwrap();
    let n: usize = std::env::args().nth(2).unwrap().parse().unwrap();
    let bytes: Vec<u8> = match arg.as_str() {
        "arr" => { let mut b = b"%PDF-1.4\n1 0 obj\n".to_vec(); b.extend(std::iter::repeat(b'[').take(n)); b.extend(std::iter::repeat(b']').take(n)); b.extend_from_slice(b"\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"); b }
        "arrx" => { let mut body = b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R /X ".to_vec(); body.extend(std::iter::repeat(b'[').take(n)); body.extend(std::iter::repeat(b']').take(n)); body.extend_from_slice(b" >>\nendobj\n");
            let mut b = b"%PDF-1.4\n".to_vec(); let off1 = b.len(); b.extend_from_slice(&body); let off2 = b.len(); b.extend_from_slice(b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"); let xref = b.len();
            b.extend_from_slice(format!("xref\n0 3\n0000000000 65535 f \n{:010} 00000 n \n{:010} 00000 n \ntrailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n{}\n%%EOF\n", off1, off2, xref).as_bytes()); b }
        "dict" => { let mut b = b"%PDF-1.4\n1 0 obj\n".to_vec(); for _ in 0..n { b.extend_from_slice(b"<</A "); } for _ in 0..n { b.extend_from_slice(b">>"); } b.extend_from_slice(b"\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"); b }
        "div" => "<div>".repeat(n).into_bytes(),
        "p" => format!("{}{}", "<div>".repeat(500), "<p>x".repeat(n)).into_bytes(),
        "b" => (0..n).map(|i| format!("<b id={i}>x")).collect::<String>().into_bytes(),
        "table" => "<table><tr><td>".repeat(n).into_bytes(),
        "text" => "Die Einsätze der Bundeswehr im Ausland.\n".repeat(n).into_bytes(),
        "file" => std::fs::read(std::env::var("F").unwrap()).unwrap(),
        _ => panic!(),
    };
    let t = Instant::now();
    let media = if arg.starts_with("arr") || arg == "dict" { MediaType::Pdf } else if arg == "text" { MediaType::Text } else { MediaType::Html };
    let r = load(&bytes, media, &Limits::default());
    println!("{} bytes {:?} -> {:?}", bytes.len(), t.elapsed(), r.map(|d| d.text.len()));
}

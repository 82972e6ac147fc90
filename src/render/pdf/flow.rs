//! Pagination: blocks laid out at y = 0 are placed one after another down the page; a block
//! that does not fit starts a new page, so no block (a table row) is ever split.

use super::paint::Paint;

pub struct Flow {
    pub pages: Vec<Vec<Paint>>,
    top: f32,
    bottom: f32,
    y: f32,
}

impl Flow {
    /// Pages whose body runs from `top` to `bottom` millimetres.
    pub fn new(top: f32, bottom: f32) -> Self {
        Flow {
            pages: vec![Vec::new()],
            top,
            bottom,
            y: top,
        }
    }

    /// Places a block `height` mm tall; blocks taller than a page are placed at the top of a
    /// fresh page and run past its foot (callers split long text into lines first).
    pub fn place(&mut self, block: Vec<Paint>, height: f32) {
        if self.y + height > self.bottom && self.y > self.top {
            self.new_page();
        }
        let dy = self.y;
        if let Some(page) = self.pages.last_mut() {
            page.extend(block.iter().map(|p| p.shifted(dy)));
        }
        self.y += height;
    }

    /// Keeps the next `height` mm together with what follows (a heading with its first row).
    pub fn keep(&mut self, height: f32) {
        if self.y + height > self.bottom && self.y > self.top {
            self.new_page();
        }
    }

    /// Whether `height` mm still fit on the current page.
    pub fn fits(&self, height: f32) -> bool {
        self.y + height <= self.bottom || self.y <= self.top
    }

    /// The height left on the current page.
    pub fn room(&self) -> f32 {
        self.bottom - self.y
    }

    /// The height of a page's body.
    pub fn page_height(&self) -> f32 {
        self.bottom - self.top
    }

    pub fn space(&mut self, height: f32) {
        self.y = (self.y + height).min(self.bottom);
    }

    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = self.top;
    }
}

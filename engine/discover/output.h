// boxes.csv and tradeoff.csv of `geosim discover` (docs/discovery.md, "Outputs").
#pragma once

#include <string>

#include "discover/cart.h"
#include "discover/prim.h"

namespace geosim::discover {

// boxes.csv: box,input,low,high,range_low,range_high,p_low,p_high,coverage,density,mass,
// rows,cases,method,node, one row per restricted input of each chosen box (in input
// order); method is prim or cart, node the CART leaf (empty for PRIM).
std::string boxes_csv(const Dataset& data, const PrimResult& r);
std::string boxes_csv(const Dataset& data, const CartResult& r);

// tree.csv: node,parent,side,depth,input,threshold,rows,cases,share,box, one row per node
// of the tree in preorder (docs/discovery.md, "Outputs").
std::string tree_csv(const Dataset& data, const CartResult& r);

// tradeoff.csv: box,step,phase,coverage,density,mass,restricted,rows,cases,chosen, one row
// per box of each peeling and pasting trajectory.
std::string tradeoff_csv(const PrimResult& r);

}  // namespace geosim::discover
